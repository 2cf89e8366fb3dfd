<#
    The SQL Server helpers against the TDS double (New-VmmSqlConnection, Invoke-VmmSqlQuery), the path rules of
    Resolve-VmmSqlPath, and the SCVMMRecover.exe seam (Invoke-VmmScvmmRecover) with a real child process.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    Import-Module (Join-Path $repoRoot 'Pester/Support/TdsDouble.psm1') -Force
    $password = 'Sql-Test-' + [guid]::NewGuid().ToString('N')
    $script:Double = Start-TdsDouble -Password $password -Rules @(
        @{
            match      = '^SELECT Name, Size FROM t WHERE Name = @name;$'
            resultSets = @(
                @{ columns = @(@{ name = 'Name'; type = 'nvarchar(128)' }, @{ name = 'Size'; type = 'bigint' }); rows = @(@("a']", 7), @($null, $null)) }
                @{ columns = @(@{ name = 'Other'; type = 'int' }); rows = @(, @(3)) }
            )
        }
        @{ match = '^BACKUP x;$'; errors = @(@{ number = 3201; message = 'Cannot open backup device.' }, @{ number = 3013; message = 'BACKUP DATABASE is terminating abnormally.' }) }
        @{ match = '^WAITFOR x;$'; delayMs = 5000 }
    )
    $server = "127.0.0.1,$($script:Double.Port)"
    $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'sa', (ConvertTo-SecureString -String $password -AsPlainText -Force)
}

AfterAll {
    if ($script:Double) { Stop-TdsDouble -Double $script:Double }
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
}

Describe 'New-VmmSqlConnection and Invoke-VmmSqlQuery' {
    It 'returns the rows of every result set, nulls as $null, and sends values as nvarchar parameters' {
        $rows = InModuleScope VmmBackup -Parameters @{ Server = $server; Credential = $credential } {
            param($Server, $Credential)
            $connection = New-VmmSqlConnection -SqlServer $Server -Credential $Credential
            try {
                Invoke-VmmSqlQuery -Connection $connection -Query 'SELECT Name, Size FROM t WHERE Name = @name;' -Parameter ([ordered]@{ name = @{ Value = "a'];"; Size = 128 }; other = $null })
            } finally { $connection.Dispose() }
        }
        $rows.Count | Should -Be 3
        $rows[0].Name | Should -BeExactly "a']"
        $rows[0].Size | Should -Be 7
        $rows[1].Name | Should -BeNullOrEmpty
        $rows[2].Other | Should -Be 3
        $statement = @(Get-TdsDoubleLog -Double $script:Double)[-1]
        $statement.declaration | Should -BeExactly '@name nvarchar(128),@other nvarchar(4000)'
        ($statement.parameters | Where-Object name -EQ '@name').value | Should -BeExactly "a'];"
        ($statement.parameters | Where-Object name -EQ '@other').value | Should -BeNullOrEmpty
    }

    It 'throws the SqlException itself, with its number and every message' {
        $caught = InModuleScope VmmBackup -Parameters @{ Server = $server; Credential = $credential } {
            param($Server, $Credential)
            $connection = New-VmmSqlConnection -SqlServer $Server -Credential $Credential
            try {
                try { Invoke-VmmSqlQuery -Connection $connection -Query 'BACKUP x;' } catch { $_.Exception }
            } finally { $connection.Dispose() }
        }
        $caught | Should -BeOfType [System.Data.SqlClient.SqlException]
        $caught.Number | Should -Be 3201
        $caught.Message | Should -Match 'Cannot open backup device\.\s+BACKUP DATABASE is terminating abnormally\.'
    }

    It 'honours the command timeout' {
        $caught = InModuleScope VmmBackup -Parameters @{ Server = $server; Credential = $credential } {
            param($Server, $Credential)
            $connection = New-VmmSqlConnection -SqlServer $Server -Credential $Credential
            try {
                try { Invoke-VmmSqlQuery -Connection $connection -Query 'WAITFOR x;' -CommandTimeout 1 } catch { $_.Exception }
            } finally { $connection.Dispose() }
        }
        $caught.Message | Should -Match 'timeout|Timeout'
    }

    It 'refuses a wrong password with a clear message that does not hold the password' {
        $wrong = New-Object System.Management.Automation.PSCredential -ArgumentList 'sa', (ConvertTo-SecureString -String 'Wrong-Pass-1' -AsPlainText -Force)
        $message = InModuleScope VmmBackup -Parameters @{ Server = $server; Credential = $wrong } {
            param($Server, $Credential)
            try { New-VmmSqlConnection -SqlServer $Server -Credential $Credential; 'connected' } catch { $_.Exception.Message }
        }
        $message | Should -Match "^Cannot connect to SQL Server '127\.0\.0\.1,\d+' with the SQL login 'sa': .*Login failed"
        $message | Should -Not -Match 'Wrong-Pass-1'
    }
}

Describe 'Resolve-VmmSqlPath' {
    It 'keeps drive and UNC paths as SQL Server sees them' {
        InModuleScope VmmBackup { Resolve-VmmSqlPath -Path "Z:\Vmm';]\x.bak" } | Should -BeExactly "Z:\Vmm';]\x.bak"
        InModuleScope VmmBackup { Resolve-VmmSqlPath -Path '\\backup01\vmm\db\' -Folder } | Should -BeExactly '\\backup01\vmm\db'
    }

    It 'makes a relative path full' {
        $full = InModuleScope VmmBackup { Resolve-VmmSqlPath -Path 'relative;dir' -Folder }
        $full | Should -BeExactly (Join-Path (Get-Location).ProviderPath 'relative;dir')
    }

    It 'refuses root directories' {
        foreach ($root in @('Z:\', 'Z:', '\\backup01\vmm', '\\backup01\vmm\', '/')) {
            { InModuleScope VmmBackup -Parameters @{ Root = $root } { param($Root) Resolve-VmmSqlPath -Path $Root -Folder } } |
                Should -Throw -ExpectedMessage '*is a root directory*' -Because $root
        }
    }
}

Describe 'Invoke-VmmScvmmRecover' {
    It 'passes each argument as it is (no command string) and returns the exit code and output' {
        $script = Join-Path $TestDrive 'echo-args.ps1'
        Set-Content -LiteralPath $script -Value 'foreach ($a in $args) { "[$a]" }; exit 3'
        # The project's pwsh (a launcher script when installed as a dotnet tool), else this PowerShell's executable.
        $pwsh = Join-Path $repoRoot '.tools/pwsh/pwsh'
        if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = (Get-Process -Id $PID).Path }
        $run = InModuleScope VmmBackup -Parameters @{ Exe = $pwsh; Script = $script } {
            param($Exe, $Script)
            Invoke-VmmScvmmRecover -FilePath $Exe -ArgumentList @('-NoProfile', '-NonInteractive', '-File', $Script, "D:\it's a ]; test.bak", '-Confirm')
        }
        $run.ExitCode | Should -Be 3
        $run.Output | Should -Be @("[D:\it's a ]; test.bak]", '[-Confirm]')
    }
}
