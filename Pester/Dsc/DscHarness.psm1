<#
    Drives the module's class-based DSC resources the way a DSC engine does (PowerShell DSC's
    Invoke-DscResource, or DSC v3's Microsoft.Adapter/PowerShell): in a fresh runspace that imports the module
    by path, it builds the class instance from a property hashtable or from the instance's properties as JSON,
    refuses unknown and read-only properties, assigns the others as the engines do (PowerShell's conversions
    apply: the harness checks no type itself, so a wrong type fails only if the resource refuses it), and calls
    Get(), Test() or Set().

    Get returns an object with every DSC property of the class (Reasons as objects with Code and Phrase), Test
    returns [bool], Set returns nothing. Errors are thrown as InvalidOperationException with the resource's own
    message.

    -Replace defines stand-ins, in the module's scope inside that runspace, for commands the resource calls
    (for example the cmdlet Set() runs): name -> script block (passed as text and re-created there, so it must
    not rely on variables of the caller; pass data with -ReplaceData, visible to the stand-ins as
    $VmmDscHarnessData).
#>
Set-StrictMode -Version 2.0

$script:DefaultModulePath = Join-Path -Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) -ChildPath 'generated/VmmBackup/VmmBackup.psd1'

# Runs inside the fresh runspace. Returns @{ Ok; Value; Error }.
$script:Driver = {
    param($ModulePath, $Name, $Method, $Json, $Property, $Replace, $ReplaceData)

    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Off
    $outcome = @{ Ok = $false; Value = $null; Error = $null }
    try {
        $module = Import-Module -Name $ModulePath -Force -PassThru -ErrorAction Stop | Where-Object { $_.Name -eq 'VmmBackup' } | Select-Object -First 1
        if ($null -eq $module) {
            throw "The module '$ModulePath' did not load."
        }
        if ($null -ne $Replace) {
            foreach ($commandName in @($Replace.Keys)) {
                & $module {
                    param($CommandName, $Body, $Data)
                    $script:VmmDscHarnessData = $Data
                    Set-Item -Path ('function:script:' + $CommandName) -Value ([scriptblock]::Create($Body))
                } $commandName ([string]$Replace[$commandName]) $ReplaceData
            }
        }
        if (@($module.ExportedDscResources) -notcontains $Name) {
            throw ("The module does not export a DSC resource named '{0}'. It exports: {1}." -f $Name, (@($module.ExportedDscResources) -join ', '))
        }
        $type = & $module { param($TypeName) $TypeName -as [type] } $Name
        if ($null -eq $type) {
            throw "The class of the DSC resource '$Name' cannot be found in the module."
        }

        # The DSC properties of the class, as an engine reads them.
        $members = @{}
        foreach ($propertyInfo in $type.GetProperties()) {
            $attribute = $propertyInfo.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $true) | Select-Object -First 1
            if ($null -ne $attribute) {
                $members[$propertyInfo.Name] = @{ Info = $propertyInfo; Attribute = $attribute }
            }
        }
        $configurable = @($members.Keys | Where-Object { -not $members[$_].Attribute.NotConfigurable } | Sort-Object)

        # The input, as name/value pairs.
        $pairs = New-Object -TypeName System.Collections.Generic.List[object]
        if ($null -ne $Json) {
            try {
                $parsed = ConvertFrom-Json -InputObject $Json -ErrorAction Stop
            } catch {
                throw "The properties of the $Name instance are not valid JSON: $($_.Exception.Message)"
            }
            if ($null -eq $parsed -or $parsed -isnot [System.Management.Automation.PSCustomObject]) {
                throw "The properties of the $Name instance must be a JSON object."
            }
            foreach ($jsonProperty in $parsed.PSObject.Properties) {
                $pairs.Add(@{ Name = $jsonProperty.Name; Value = $jsonProperty.Value })
            }
        } elseif ($null -ne $Property) {
            foreach ($key in @($Property.Keys)) {
                $pairs.Add(@{ Name = [string]$key; Value = $Property[$key] })
            }
        }

        $instance = $type::new()
        foreach ($pair in $pairs) {
            $match = @($members.Keys | Where-Object { $_ -eq $pair.Name })
            if ($match.Count -eq 0) {
                throw ("The DSC resource {0} has no property '{1}'. Its properties are: {2}." -f $Name, $pair.Name, ($configurable -join ', '))
            }
            $memberName = $match[0]
            $member = $members[$memberName]
            if ($member.Attribute.NotConfigurable) {
                throw ("The property '{0}' of {1} is read-only (NotConfigurable): Get() reports it; a configuration cannot set it." -f $memberName, $Name)
            }
            # Assigned as the engines assign (PowerShell DSC's Invoke-DscResource, DSC v3's PowerShell adapter):
            # with PowerShell's own conversions, so a wrong type is caught by the resource or not at all. A JSON
            # object for a PSCredential property becomes a credential, as the adapter builds it.
            $value = $pair.Value
            if ($value -is [System.Management.Automation.PSCustomObject] -and $member.Info.PropertyType -eq [System.Management.Automation.PSCredential]) {
                if (-not ($value.PSObject.Properties['Username'] -and $value.PSObject.Properties['Password'])) {
                    throw ("Credential object '{0}' requires both 'username' and 'password' properties" -f $memberName)
                }
                $value = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $value.Username, (ConvertTo-SecureString -String $value.Password -AsPlainText -Force)
            }
            try {
                $instance.$memberName = $value
            } catch {
                $exception = $_.Exception
                while ($null -ne $exception.InnerException) {
                    $exception = $exception.InnerException
                }
                throw $exception.Message
            }
        }

        try {
            switch ($Method) {
                'Get' {
                    $state = $instance.Get()
                    $result = [ordered]@{}
                    foreach ($memberName in @($members.Keys | Sort-Object)) {
                        $memberValue = $state.$memberName
                        if ($memberName -eq 'Reasons') {
                            $memberValue = @(foreach ($reason in @($memberValue)) {
                                    if ($null -ne $reason) {
                                        [pscustomobject][ordered]@{ Code = $reason.Code; Phrase = $reason.Phrase }
                                    }
                                })
                        } elseif ($memberValue -is [System.Enum]) {
                            $memberValue = $memberValue.ToString()
                        }
                        $result[$memberName] = $memberValue
                    }
                    $outcome.Value = [pscustomobject]$result
                }
                'Test' {
                    $outcome.Value = [bool]$instance.Test()
                }
                'Set' {
                    $instance.Set()
                }
            }
        } catch {
            $exception = $_.Exception
            while ($exception -is [System.Management.Automation.MethodInvocationException] -and $null -ne $exception.InnerException) {
                $exception = $exception.InnerException
            }
            throw ('{0}.{1}() failed: {2}' -f $Name, $Method, $exception.Message)
        }
        $outcome.Ok = $true
    } catch {
        $outcome.Error = $_.Exception.Message
    }
    $outcome
}

function Invoke-VmmDscResource {
    <#
    .SYNOPSIS
        Calls Get(), Test() or Set() of a DSC resource of the module in a fresh runspace, as a DSC engine does.
    .PARAMETER Name
        The resource (class) name, e.g. VmmRegistryBackup.
    .PARAMETER Method
        Get, Test or Set.
    .PARAMETER Property
        The instance's properties as a hashtable.
    .PARAMETER Json
        The instance's properties as a JSON object (what DSC v3 sends the adapter).
    .PARAMETER ModulePath
        The module manifest to import; generated/VmmBackup/VmmBackup.psd1 by default.
    .PARAMETER Replace
        Stand-ins for commands the resource calls: name -> script block, defined in the module's scope.
    .PARAMETER ReplaceData
        Data for the stand-ins, as $VmmDscHarnessData.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Hashtable')]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Name,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Get', 'Test', 'Set')]
        [string] $Method,

        [Parameter(Mandatory = $true, ParameterSetName = 'Hashtable')]
        [hashtable] $Property,

        [Parameter(Mandatory = $true, ParameterSetName = 'Json')]
        [string] $Json,

        [string] $ModulePath = $script:DefaultModulePath,

        [hashtable] $Replace,

        [object] $ReplaceData
    )

    $replacements = $null
    if ($null -ne $Replace) {
        $replacements = @{}
        foreach ($key in @($Replace.Keys)) {
            $replacements[[string]$key] = [string]$Replace[$key]
        }
    }
    $jsonText = $null
    if ($PSCmdlet.ParameterSetName -eq 'Json') {
        $jsonText = $Json
    }
    $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
    $shell = [System.Management.Automation.PowerShell]::Create()
    try {
        $runspace.Open()
        $shell.Runspace = $runspace
        $null = $shell.AddScript($script:Driver.ToString()).
            AddParameter('ModulePath', $ModulePath).
            AddParameter('Name', $Name).
            AddParameter('Method', $Method).
            AddParameter('Json', $jsonText).
            AddParameter('Property', $Property).
            AddParameter('Replace', $replacements).
            AddParameter('ReplaceData', $ReplaceData)
        $output = @($shell.Invoke())
        $outcome = $output | Where-Object { $_ -is [hashtable] -and $_.ContainsKey('Ok') } | Select-Object -Last 1
        if ($null -eq $outcome) {
            $streamError = @($shell.Streams.Error | ForEach-Object { $_.ToString() }) -join '; '
            throw (New-Object -TypeName System.InvalidOperationException -ArgumentList "$Name.$Method() gave no result. $streamError")
        }
        if (-not $outcome.Ok) {
            throw (New-Object -TypeName System.InvalidOperationException -ArgumentList $outcome.Error)
        }
        if ($Method -ne 'Set') {
            return $outcome.Value
        }
    } finally {
        $shell.Dispose()
        $runspace.Dispose()
    }
}

Export-ModuleMember -Function Invoke-VmmDscResource
