function New-VmmSqlConnection {
    <#
    .SYNOPSIS
        Opens a System.Data.SqlClient connection to the master database of a SQL Server instance (works in
        Windows PowerShell 5.1 and PowerShell 7), with Windows integrated security or a SQL login.
    .DESCRIPTION
        The password of -Credential goes to SqlClient as a read-only SecureString (SqlCredential); it never
        appears in the connection string, in messages or in output. Connection pooling is off: the cmdlets open
        one connection and close it when done. Throws a clear error when the instance cannot be reached or the
        login fails.
    .PARAMETER SqlServer
        server, server\instance, or server,port.
    .PARAMETER Credential
        SQL login; Windows integrated security when omitted.
    .PARAMETER ConnectTimeout
        Seconds to wait for the connection.
    .PARAMETER Encrypt
        Encrypt the connection (TLS).
    .PARAMETER TrustServerCertificate
        Accept the server certificate without validating it.
    #>
    [CmdletBinding()]
    [OutputType([System.Data.SqlClient.SqlConnection])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $SqlServer,

        [System.Management.Automation.PSCredential] $Credential,

        [ValidateRange(1, 600)]
        [int] $ConnectTimeout = 15,

        [switch] $Encrypt,

        [switch] $TrustServerCertificate
    )

    $builder = New-Object System.Data.SqlClient.SqlConnectionStringBuilder
    $builder['Data Source'] = $SqlServer
    $builder['Initial Catalog'] = 'master'
    $builder['Application Name'] = 'VmmBackup'
    $builder['Pooling'] = $false
    $builder['Connect Timeout'] = $ConnectTimeout
    $builder['Encrypt'] = [bool]$Encrypt
    $builder['TrustServerCertificate'] = [bool]$TrustServerCertificate
    $sqlCredential = $null
    if ($null -ne $Credential -and $Credential -ne [System.Management.Automation.PSCredential]::Empty) {
        $password = $Credential.Password.Copy()
        $password.MakeReadOnly()
        $user = $Credential.UserName
        if ($user.StartsWith('\')) { $user = $user.Substring(1) }
        $sqlCredential = New-Object System.Data.SqlClient.SqlCredential -ArgumentList $user, $password
    } else {
        $builder['Integrated Security'] = $true
    }
    if ($null -ne $sqlCredential) {
        $connection = New-Object System.Data.SqlClient.SqlConnection -ArgumentList $builder.ConnectionString, $sqlCredential
    } else {
        $connection = New-Object System.Data.SqlClient.SqlConnection -ArgumentList $builder.ConnectionString
    }
    try {
        $connection.Open()
    } catch {
        $connection.Dispose()
        $reason = $_.Exception
        while ($null -ne $reason.InnerException -and $reason -isnot [System.Data.SqlClient.SqlException]) { $reason = $reason.InnerException }
        $how = 'Windows integrated security'
        if ($null -ne $sqlCredential) { $how = "the SQL login '$($sqlCredential.UserId)'" }
        throw "Cannot connect to SQL Server '$SqlServer' with ${how}: $($reason.Message) Check the instance name, that SQL Server runs and accepts connections from this computer, and the login."
    }
    $connection
}
